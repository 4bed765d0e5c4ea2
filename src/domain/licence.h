/*
 * licence.h - which licence actions a clerk may record, given where the licence stands.
 *
 * An establishment's status follows its licence: active (issued, renewed or reinstated),
 * suspended, or closed (revoked). A suspended licence is reinstated or revoked, not issued
 * again; a revoked one is not reinstated or renewed: a new licence is issued.
 *
 * Domain layer: a pure function over plain values.
 */
#ifndef PLACARD_DOMAIN_LICENCE_H
#define PLACARD_DOMAIN_LICENCE_H

/*
 * NULL when @action ("issued", "renewed", "suspended", "revoked", "reinstated") may be
 * recorded for an establishment whose status is @status ("active", "suspended", "closed");
 * otherwise a sentence for the clerk saying why not and what to record instead.
 */
const char *licence_action_refusal(const char *action, const char *status);

/*
 * The public reason for a suspension or a revocation: @category one of the codes below, named
 * in words for the public record ("Pests"), or NULL when @category is not one of them.
 *   imminent-health-risk, pests, no-water-or-power, licence-conditions, unlicensed,
 *   owner-request, other
 */
const char *licence_reason_category_words(const char *category);

#endif
