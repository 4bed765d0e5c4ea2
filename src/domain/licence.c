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
