/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-totp.c: time-based one-time codes (RFC 6238) for the second factor of
 * accounts, and the base32 (RFC 4648) that authenticator apps read secrets in.
 *
 * The parameters are the ones every authenticator app assumes when an
 * otpauth:// URI names no others: HMAC-SHA1, 30-second steps counted from the
 * Unix epoch, 6 digits.  Verification accepts the current step and one either
 * side (clock drift, a code typed as it rolls over), and never a step at or
 * before the last one accepted, so a code seen over a shoulder or in a log
 * cannot be replayed within its window.  Codes are compared in constant time.
 *
 * libsodium has no SHA-1, so the HMAC comes from GLib's GHmac.
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-auth.h"

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

char *
tf_totp_base32_encode (const guint8 *data, gsize len)
{
  GString *out;
  guint32 buffer = 0;
  guint bits = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  out = g_string_sized_new ((len * 8 + 4) / 5 + 1);
  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 0x1f]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 0x1f]);
  return g_string_free (out, FALSE);
}

guint8 *
tf_totp_base32_decode (const char *text, gsize *out_len)
{
  g_autoptr(GByteArray) out = NULL;
  guint32 buffer = 0;
  guint bits = 0;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  out = g_byte_array_new ();
  for (p = text; *p != '\0' && *p != '='; p++)
    {
      const char *hit = strchr (base32_alphabet, g_ascii_toupper (*p));

      if (hit == NULL)
        return NULL;
      buffer = (buffer << 5) | (guint32) (hit - base32_alphabet);
      bits += 5;
      if (bits >= 8)
        {
          guint8 byte = (buffer >> (bits - 8)) & 0xff;

          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }
  for (; *p == '='; p++)
    ;
  if (*p != '\0')
    return NULL;
  *out_len = out->len;
  return g_byte_array_free (g_steal_pointer (&out), FALSE);
}

void
tf_totp_code (const guint8 *secret, gsize len, gint64 step, char out[TF_TOTP_DIGITS + 1])
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 counter[8];
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  guint offset;
  guint32 binary;

  g_return_if_fail (secret != NULL && len > 0);
  g_return_if_fail (step >= 0);

  for (int i = 7; i >= 0; i--)
    {
      counter[i] = (guint8) (step & 0xff);
      step >>= 8;
    }
  hmac = g_hmac_new (G_CHECKSUM_SHA1, secret, len);
  g_hmac_update (hmac, counter, sizeof counter);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert (digest_len == sizeof digest);

  /* RFC 4226 §5.3, dynamic truncation. */
  offset = digest[19] & 0x0f;
  binary = ((guint32) (digest[offset] & 0x7f) << 24) | ((guint32) digest[offset + 1] << 16) |
           ((guint32) digest[offset + 2] << 8) | digest[offset + 3];
  g_snprintf (out, TF_TOTP_DIGITS + 1, "%06u", binary % 1000000u);
  sodium_memzero (digest, sizeof digest);
}

gint64
tf_totp_verify (const guint8 *secret, gsize len, const char *code, gint64 now,
                gint64 last_step)
{
  gint64 step = now / TF_TOTP_PERIOD;
  gint64 accepted = -1;

  g_return_val_if_fail (secret != NULL && len > 0, -1);

  if (code == NULL || strlen (code) != TF_TOTP_DIGITS)
    return -1;
  /* Every candidate is computed and compared, matching or not, so the time
   * taken does not say which step matched. */
  for (gint64 s = step - 1; s <= step + 1; s++)
    {
      char expected[TF_TOTP_DIGITS + 1];
      gboolean match;

      if (s < 0)
        continue;
      tf_totp_code (secret, len, s, expected);
      match = sodium_memcmp (expected, code, TF_TOTP_DIGITS) == 0;
      if (match && s > last_step && accepted < 0)
        accepted = s;
    }
  return accepted;
}

char *
tf_totp_uri (const char *secret_base32, const char *account)
{
  g_autofree char *label = NULL;
  g_autofree char *issuer = g_uri_escape_string (TF_TOTP_ISSUER, NULL, FALSE);

  g_return_val_if_fail (secret_base32 != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  label = g_uri_escape_string (account, "@", FALSE);
  return g_strdup_printf ("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d"
                          "&period=%d", issuer, label, secret_base32, issuer, TF_TOTP_DIGITS,
                          TF_TOTP_PERIOD);
}
