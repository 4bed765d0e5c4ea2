/*
 * licence.c - which licence actions may be recorded. See licence.h.
 */
#include "domain/licence.h"

#include <stddef.h>

#include "core/util.h"

const char *licence_action_refusal(const char *action, const char *status)
{
	bool active = streq(status, "active"), suspended = streq(status, "suspended"),
	     closed = streq(status, "closed");
	if (streq(action, "issued") && suspended)
		return "The licence is suspended: reinstate it, or revoke it, rather than issue "
		       "another.";
	if (streq(action, "renewed") && closed)
		return "The licence was revoked: issue a new one rather than renew it.";
	if (streq(action, "suspended") && !active)
		return suspended ? "The licence is already suspended."
		                 : "The licence was revoked: there is nothing to suspend.";
	if (streq(action, "revoked") && closed)
		return "The licence was already revoked.";
	if (streq(action, "reinstated") && !suspended)
		return closed ? "The licence was revoked: issue a new one; only a suspended "
		                "licence is reinstated."
		              : "The licence is not suspended: there is nothing to reinstate.";
	return NULL;
}

static const struct {
	const char *code, *words;
} reason_categories[] = {
	{ "imminent-health-risk", "An imminent risk to health" },
	{ "pests", "Pests" },
	{ "no-water-or-power", "No hot water, water or power" },
	{ "licence-conditions", "Licence conditions not met" },
	{ "unlicensed", "Trading without a valid licence" },
	{ "owner-request", "At the operator's request" },
	{ "other", "Another reason" },
};

const char *licence_reason_category_words(const char *category)
{
	if (!category)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(reason_categories); i++)
		if (streq(category, reason_categories[i].code))
			return reason_categories[i].words;
	return NULL;
}
