/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-safety.h: safety numbers — what two people compare to know that the
 * keys their devices hold for each other are each other's, and not keys a
 * server slipped in (issue 19; docs/encryption.md, "Safety numbers").
 *
 * The safety number of users A and B is tf_crypto_fingerprint() over
 *
 *   identity(L) signing(L) identity(H) signing(H)
 *
 * L being the one of the two whose user id sorts first (lowercase, byte
 * order) and H the other, so both sides compute the same number whoever
 * asks.  Its text form (10 groups of 4 hex digits) is what a device keeps
 * as "verified".  People read it in two other spellings of the same 20
 * bytes:
 *
 *   digits  10 groups of 5 decimal digits, each group one big-endian
 *           16-bit pair of bytes (00000-65535);
 *   words   20 words, one per byte, from a fixed list of 256 per language
 *           (English, Greek).  The lists are data, not translations: the
 *           same number gives the same words on both sides in the same
 *           language, and never changes with a translator's edit.  People
 *           who use different languages compare the digits.
 *
 * Any change of either person's keys gives another number.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TF_SAFETY_BYTES 20
#define TF_SAFETY_WORDS TF_SAFETY_BYTES
#define TF_SAFETY_DIGIT_GROUPS (TF_SAFETY_BYTES / 2)

/* The safety number of two users (each: user id, X25519 identity public
 * key, Ed25519 signing public key, standard base64), as fingerprint text;
 * NULL when a key does not decode or the ids are the same or not UUIDs. */
char   *tf_safety_number     (const char *user_a,
                              const char *identity_a,
                              const char *signing_a,
                              const char *user_b,
                              const char *identity_b,
                              const char *signing_b);

/* The digits of a safety number ("01234 56789 ..."); NULL if @number is not
 * fingerprint text. */
char   *tf_safety_digits     (const char *number);

/* The words of a safety number in @language ("el", "el_GR.UTF-8" ... give
 * Greek; anything else English), NULL-terminated; NULL if @number is not
 * fingerprint text. */
GStrv   tf_safety_words      (const char *number,
                              const char *language);

/* What a QR code of the safety number holds: "tfsafety1:" L ":" H ":" the
 * 40 hex digits — both ids, so a scanner can tell whose number it is. */
char   *tf_safety_qr_text    (const char *number,
                              const char *user_a,
                              const char *user_b);

/* The list of 256 words for @language (as tf_safety_words chooses it). */
const char * const *tf_safety_word_list (const char *language);

G_END_DECLS
