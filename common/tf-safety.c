/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-safety.c: safety numbers of two users and their digits, words and QR
 * text (the format is tf-safety.h's).
 *
 * The number itself is tf_crypto_fingerprint(), so it is the same function
 * as every fingerprint the app shows; this file only fixes the order of the
 * four keys and spells the 20 bytes for people.  The word lists below are
 * part of the format: changing a word changes what people compare, so they
 * are never run through gettext, and a new list needs a new QR prefix.
 * Words are simple, common nouns, distinct in writing (no two Greek words
 * differ only in accents, none is a prefix-twin of another's spelling
 * such as "γάτα"/"γατάκι"), and nothing that reads badly in a therapy room.
 */
#define G_LOG_DOMAIN "tf-safety"

#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-safety.h"

#define QR_PREFIX "tfsafety1:"

static const char * const words_en[256] = {
  "anchor", "apple", "arrow", "autumn", "badge", "bakery", "balloon", "bamboo", "banana", "basket",
  "beach", "bear", "bell", "bench", "berry", "bicycle", "bird", "blanket", "boat", "book",
  "bottle", "bread", "bridge", "brush", "bucket", "butter", "button", "cabin", "cactus", "cake",
  "camel", "camera", "candle", "canoe", "carpet", "carrot", "castle", "cat", "cave", "cedar",
  "chair", "cherry", "chess", "circle", "city", "clock", "cloud", "coast", "coat", "coffee",
  "coin", "comet", "compass", "cookie", "copper", "corn", "cotton", "cow", "cricket", "crown",
  "cup", "curtain", "daisy", "desert", "desk", "diamond", "dolphin", "donkey", "door", "dragon",
  "drum", "duck", "eagle", "elbow", "engine", "falcon", "feather", "fence", "fern", "field", "fig",
  "finger", "flag", "flute", "forest", "fountain", "fox", "frog", "garden", "garlic", "glass",
  "glove", "goat", "grape", "guitar", "hammer", "harbor", "hat", "hazelnut", "helmet", "hill",
  "honey", "horse", "house", "island", "ivy", "jacket", "jar", "jelly", "jungle", "kettle", "key",
  "kite", "pigeon", "ladder", "lake", "lamp", "lantern", "leaf", "lemon", "letter", "lily", "lion",
  "lizard", "lobster", "magnet", "mango", "maple", "map", "marble", "meadow", "melon", "mirror",
  "monkey", "moon", "mountain", "mouse", "mug", "museum", "needle", "nest", "net", "noodle",
  "notebook", "oak", "ocean", "olive", "onion", "orange", "orchid", "otter", "owl", "rope",
  "palace", "paper", "parrot", "peach", "peanut", "pear", "pebble", "pencil", "penguin", "pepper",
  "piano", "pillow", "pine", "planet", "plate", "plum", "pocket", "deer", "potato", "pumpkin",
  "puzzle", "rabbit", "radio", "rain", "raven", "ribbon", "rice", "river", "road", "rocket",
  "roof", "rose", "saddle", "salad", "salmon", "sand", "scarf", "school", "seal", "shell", "ship",
  "shoe", "silver", "sky", "sled", "snail", "snow", "sock", "sofa", "spoon", "spring", "squirrel",
  "star", "stone", "strawberry", "square", "sugar", "summer", "sun", "swan", "table", "teapot",
  "tent", "thread", "tiger", "tomato", "tower", "tractor", "train", "tree", "trumpet", "tulip",
  "turtle", "umbrella", "valley", "vase", "violin", "wagon", "walnut", "wave", "whale", "wheat",
  "wheel", "window", "winter", "wolf", "wool", "sailboat", "yogurt", "zebra", "ticket", "towel",
  "basil", "igloo", "zipper", "soap", "pot", "garage", "bee", "butterfly", "ant", "sheep",
  "lighthouse",
};

static const char * const words_el[256] = {
  "άγκυρα", "μήλο", "βέλος", "φθινόπωρο", "μετάλλιο", "φούρνος", "μπαλόνι", "μπαμπού", "μπανάνα",
  "καλάθι", "παραλία", "αρκούδα", "καμπάνα", "παγκάκι", "μούρο", "ποδήλατο", "πουλί", "κουβέρτα",
  "βάρκα", "βιβλίο", "μπουκάλι", "ψωμί", "γέφυρα", "βούρτσα", "κουβάς", "βούτυρο", "κουμπί",
  "καλύβα", "κάκτος", "τούρτα", "καμήλα", "κάμερα", "κερί", "κανό", "χαλί", "καρότο", "κάστρο",
  "γάτα", "σπηλιά", "κέδρος", "καρέκλα", "κεράσι", "σκάκι", "κύκλος", "πόλη", "ρολόι", "σύννεφο",
  "ακτή", "παλτό", "καφές", "νόμισμα", "κομήτης", "πυξίδα", "μπισκότο", "χαλκός", "καλαμπόκι",
  "βαμβάκι", "αγελάδα", "γρύλος", "στέμμα", "φλιτζάνι", "κουρτίνα", "μαργαρίτα", "έρημος",
  "γραφείο", "διαμάντι", "δελφίνι", "γάιδαρος", "πόρτα", "δράκος", "τύμπανο", "πάπια", "αετός",
  "αγκώνας", "μηχανή", "γεράκι", "φτερό", "φράχτης", "φτέρη", "χωράφι", "σύκο", "δάχτυλο",
  "σημαία", "φλογέρα", "δάσος", "βρύση", "αλεπού", "βάτραχος", "κήπος", "σκόρδο", "ποτήρι",
  "γάντι", "κατσίκα", "σταφύλι", "κιθάρα", "σφυρί", "λιμάνι", "καπέλο", "φουντούκι", "κράνος",
  "λόφος", "μέλι", "άλογο", "σπίτι", "νησί", "κισσός", "σακάκι", "βάζο", "ζελέ", "ζούγκλα",
  "βραστήρας", "κλειδί", "χαρταετός", "περιστέρι", "σκάλα", "λίμνη", "λάμπα", "φανάρι", "φύλλο",
  "λεμόνι", "γράμμα", "κρίνος", "λιοντάρι", "σαύρα", "αστακός", "μαγνήτης", "μάνγκο", "σφένδαμος",
  "χάρτης", "μάρμαρο", "λιβάδι", "πεπόνι", "καθρέφτης", "μαϊμού", "φεγγάρι", "βουνό", "ποντίκι",
  "κούπα", "μουσείο", "βελόνα", "φωλιά", "δίχτυ", "μακαρόνι", "τετράδιο", "βελανιδιά", "ωκεανός",
  "ελιά", "κρεμμύδι", "πορτοκάλι", "ορχιδέα", "βίδρα", "κουκουβάγια", "σχοινί", "παλάτι", "χαρτί",
  "παπαγάλος", "ροδάκινο", "φιστίκι", "αχλάδι", "βότσαλο", "μολύβι", "πιγκουίνος", "πιπέρι",
  "πιάνο", "μαξιλάρι", "πεύκο", "πλανήτης", "πιάτο", "δαμάσκηνο", "τσέπη", "ελάφι", "πατάτα",
  "κολοκύθα", "παζλ", "κουνέλι", "ραδιόφωνο", "βροχή", "κόρακας", "κορδέλα", "ρύζι", "ποτάμι",
  "δρόμος", "πύραυλος", "στέγη", "τριαντάφυλλο", "σέλα", "σαλάτα", "σολομός", "άμμος", "κασκόλ",
  "σχολείο", "φώκια", "κοχύλι", "πλοίο", "παπούτσι", "ασήμι", "ουρανός", "έλκηθρο", "σαλιγκάρι",
  "χιόνι", "κάλτσα", "καναπές", "κουτάλι", "άνοιξη", "σκίουρος", "αστέρι", "πέτρα", "φράουλα",
  "πλατεία", "ζάχαρη", "καλοκαίρι", "ήλιος", "κύκνος", "τραπέζι", "τσαγιέρα", "σκηνή", "κλωστή",
  "τίγρης", "ντομάτα", "πύργος", "τρακτέρ", "τρένο", "δέντρο", "τρομπέτα", "τουλίπα", "χελώνα",
  "ομπρέλα", "κοιλάδα", "ανθοδοχείο", "βιολί", "άμαξα", "καρύδι", "κύμα", "φάλαινα", "σιτάρι",
  "τροχός", "παράθυρο", "χειμώνας", "λύκος", "μαλλί", "ιστιοφόρο", "γιαούρτι", "ζέβρα",
  "εισιτήριο", "πετσέτα", "βασιλικός", "ιγκλού", "φερμουάρ", "σαπούνι", "κατσαρόλα", "γκαράζ",
  "μέλισσα", "πεταλούδα", "μυρμήγκι", "πρόβατο", "φάρος",
};

const char * const *
tf_safety_word_list (const char *language)
{
  if (language != NULL && g_ascii_strncasecmp (language, "el", 2) == 0 &&
      (language[2] == '\0' || language[2] == '_' || language[2] == '.' || language[2] == '-'))
    return words_el;
  return words_en;
}

/* The 20 bytes of fingerprint text ("AB12 CD34 ..."), FALSE if it is not. */
static gboolean
decode_number (const char *number, guint8 out[TF_SAFETY_BYTES])
{
  gsize n = 0;

  g_assert (out != NULL);

  if (number == NULL)
    return FALSE;
  for (const char *p = number; *p != '\0'; p++)
    {
      int hi, lo;

      if (*p == ' ' && n > 0 && n % 2 == 0)
        continue;
      hi = g_ascii_xdigit_value (p[0]);
      lo = hi < 0 || p[1] == '\0' ? -1 : g_ascii_xdigit_value (p[1]);
      if (lo < 0 || n == TF_SAFETY_BYTES)
        return FALSE;
      out[n++] = (guint8) (hi << 4 | lo);
      p++;
    }
  return n == TF_SAFETY_BYTES;
}

char *
tf_safety_number (const char *user_a, const char *identity_a, const char *signing_a,
                  const char *user_b, const char *identity_b, const char *signing_b)
{
  g_autofree char *a = NULL, *b = NULL;
  gboolean a_first;

  g_return_val_if_fail (identity_a != NULL && signing_a != NULL, NULL);
  g_return_val_if_fail (identity_b != NULL && signing_b != NULL, NULL);

  if (user_a == NULL || user_b == NULL || !g_uuid_string_is_valid (user_a) ||
      !g_uuid_string_is_valid (user_b))
    return NULL;
  /* A UUID may come in either case; the order must not depend on it. */
  a = g_ascii_strdown (user_a, -1);
  b = g_ascii_strdown (user_b, -1);
  if (strcmp (a, b) == 0)
    return NULL;
  a_first = strcmp (a, b) < 0;
  {
    const char *keys[] = {
      a_first ? identity_a : identity_b, a_first ? signing_a : signing_b,
      a_first ? identity_b : identity_a, a_first ? signing_b : signing_a,
      NULL,
    };

    return tf_crypto_fingerprint (keys);
  }
}

char *
tf_safety_digits (const char *number)
{
  guint8 bytes[TF_SAFETY_BYTES];
  GString *text;

  if (!decode_number (number, bytes))
    return NULL;
  text = g_string_sized_new (TF_SAFETY_DIGIT_GROUPS * 6);
  for (guint i = 0; i < TF_SAFETY_DIGIT_GROUPS; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%05u", (guint) bytes[2 * i] << 8 | bytes[2 * i + 1]);
    }
  return g_string_free (text, FALSE);
}

GStrv
tf_safety_words (const char *number, const char *language)
{
  const char * const *list = tf_safety_word_list (language);
  guint8 bytes[TF_SAFETY_BYTES];
  GStrv words;

  if (!decode_number (number, bytes))
    return NULL;
  words = g_new0 (char *, TF_SAFETY_WORDS + 1);
  for (guint i = 0; i < TF_SAFETY_WORDS; i++)
    words[i] = g_strdup (list[bytes[i]]);
  return words;
}

char *
tf_safety_qr_text (const char *number, const char *user_a, const char *user_b)
{
  g_autofree char *a = NULL, *b = NULL;
  guint8 bytes[TF_SAFETY_BYTES];
  GString *text;

  g_return_val_if_fail (user_a != NULL && user_b != NULL, NULL);

  if (!decode_number (number, bytes))
    return NULL;
  a = g_ascii_strdown (user_a, -1);
  b = g_ascii_strdown (user_b, -1);
  text = g_string_new (QR_PREFIX);
  g_string_append_printf (text, "%s:%s:", strcmp (a, b) < 0 ? a : b, strcmp (a, b) < 0 ? b : a);
  for (guint i = 0; i < TF_SAFETY_BYTES; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
  return g_string_free (text, FALSE);
}
