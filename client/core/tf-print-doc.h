/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-print-doc.h: what a printout of a clinical record says, before any
 * page — the practice's header, a title, the facts that place the record
 * (whose, when, whether it is signed), its sections, and when it was
 * printed (issue 12, "Print or save as PDF").
 *
 * Built here from the vault for the app and the CLI alike; laid out on
 * pages by client/print (tf-print-render.h), in the app through GTK's print
 * dialog, from the CLI as a PDF file.  A printout is plaintext on paper:
 * only the record's own therapist makes one.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

typedef struct
{
  char *heading;   /* "Subjective"; may be NULL */
  char *text;      /* the section's text, as written */
} TfPrintBlock;

typedef struct
{
  GPtrArray *header;   /* char*: the practice — name, licence, address */
  char      *title;    /* "SOAP Note" */
  GPtrArray *facts;    /* char*: "Client: …", "Session: …", "Signed …" */
  GPtrArray *blocks;   /* TfPrintBlock* */
  char      *footer;   /* "Printed …" */
} TfPrintDoc;

TfPrintDoc *tf_print_doc_new        (const char *title);
void        tf_print_doc_free       (TfPrintDoc *doc);
void        tf_print_doc_add_header (TfPrintDoc *doc,
                                     const char *line);
void        tf_print_doc_add_fact   (TfPrintDoc *doc,
                                     const char *line);
/* A section; nothing when @text is NULL or blank. */
void        tf_print_doc_add_block  (TfPrintDoc *doc,
                                     const char *heading,
                                     const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfPrintDoc, tf_print_doc_free)

/* The printout of session note @note_id of this therapist: its approach's
 * sections (or its one text), the risk assessment, whether its signature
 * verifies, and every addendum with its own.  Someone else's note is
 * TF_VAULT_ERROR_NOT_OWNER; an unknown one TF_STORE_ERROR_NOT_FOUND. */
TfPrintDoc *tf_print_doc_new_for_note (TfVault    *vault,
                                       const char *note_id,
                                       GError    **error);

/* The printout of treatment plan @plan_id of this therapist: diagnoses
 * (ICD-10 codes and their descriptions), goals, interventions, the review
 * date and status. */
TfPrintDoc *tf_print_doc_new_for_plan (TfVault    *vault,
                                       const char *plan_id,
                                       GError    **error);

G_END_DECLS
