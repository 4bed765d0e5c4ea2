/*
 * registry_doc.c - the request bodies of the licence registry, staff accounts and signing
 * in. See registry_doc.h.
 */
#include "api/registry_doc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_LEN    200
#define ADDRESS_MAX_LEN 200

static int object_read(struct arena *a, const char *body, size_t len, const char *const keys[],
                       json_t **ret, struct json_error *err)
{
	if (json_decode(a, body, len, ret, err) < 0 || json_expect_object(*ret, "", err) < 0 ||
	    json_only_keys(*ret, "", keys, err) < 0)
		return -EINVAL;
	return 0;
}

int jurisdiction_doc_read(struct arena *a, const char *body, size_t len,
                          struct rec_jurisdiction *ret, struct json_error *err)
{
	static const char *const keys[] = { "code", "name", "scheme", "timezone", NULL };
	json_t *o;
	*ret = (struct rec_jurisdiction){ 0 };
	if (object_read(a, body, len, keys, &o, err) < 0 ||
	    json_field_string(o, "", "code", true, 32, &ret->code, err) < 0 ||
	    json_field_string(o, "", "name", true, NAME_MAX_LEN, &ret->name, err) < 0 ||
	    json_field_string(o, "", "scheme", true, 32, &ret->scheme, err) < 0 ||
	    json_field_string(o, "", "timezone", false, 64, &ret->timezone, err) < 0)
		return -EINVAL;
	return 0;
}

int scheme_assignment_doc_read(struct arena *a, const char *body, size_t len,
                               struct scheme_assignment_doc *ret, struct json_error *err)
{
	static const char *const keys[] = { "scheme", "applies_from", NULL };
	json_t *o;
	*ret = (struct scheme_assignment_doc){ 0 };
	if (object_read(a, body, len, keys, &o, err) < 0 ||
	    json_field_string(o, "", "scheme", true, 32, &ret->scheme, err) < 0 ||
	    json_field_string(o, "", "applies_from", true, 10, &ret->applies_from, err) < 0)
		return -EINVAL;
	if (!json_date_valid(ret->applies_from))
		return json_error_set(err, "/applies_from", "api.schemes.applies_from", NULL);
	return 0;
}

/* The editable fields of @body into @f ("name" required when @creating). */
static int fields_read(struct arena *a, json_t *body, bool creating,
                       struct rec_establishment_fields *f, struct json_error *err)
{
	double lat, lon;
	int has_lat, has_lon;
	if (json_field_string(body, "", "name", creating, NAME_MAX_LEN, &f->name, err) < 0 ||
	    json_field_string(body, "", "address_line", false, ADDRESS_MAX_LEN, &f->address_line,
	                      err) < 0 ||
	    json_field_string(body, "", "city", false, 100, &f->city, err) < 0 ||
	    json_field_string(body, "", "postcode", false, 16, &f->postcode, err) < 0 ||
	    json_field_string(body, "", "establishment_type", false, 64, &f->type, err) < 0 ||
	    json_field_string(body, "", "cuisine", false, 64, &f->cuisine, err) < 0 ||
	    json_field_string(body, "", "risk_category", false, 1, &f->risk, err) < 0 ||
	    (has_lat = json_field_number(body, "", "latitude", false, -90, 90, &lat, err)) < 0 ||
	    (has_lon = json_field_number(body, "", "longitude", false, -180, 180, &lon, err)) < 0)
		return -EINVAL;
	if (f->name && !*f->name)
		return json_error_set(err, "/name", "api.registry.name_empty", NULL);
	if (f->risk && !(f->risk[0] >= 'A' && f->risk[0] <= 'E'))
		return json_error_set(err, "/risk_category", "api.registry.risk_category", NULL);
	if ((has_lat == 0) != (has_lon == 0))
		return json_error_set(err, has_lat == 0 ? "/longitude" : "/latitude",
		                      "api.registry.lat_lon_together", NULL);
	if (has_lat == 0) {
		f->latitude = arena_printf(a, "%.7f", lat);
		f->longitude = arena_printf(a, "%.7f", lon);
	}
	return 0;
}

int establishment_doc_read(struct arena *a, const char *body, size_t len,
                           struct establishment_doc *ret, struct json_error *err)
{
	static const char *const keys[] = {
		"jurisdiction", "licence_number", "name",
		"address_line", "city",           "postcode",
		"latitude",     "longitude",      "establishment_type",
		"cuisine",      "risk_category",  NULL,
	};
	*ret = (struct establishment_doc){ 0 };
	if (object_read(a, body, len, keys, &ret->body, err) < 0 ||
	    json_field_string(ret->body, "", "jurisdiction", true, 32, &ret->jurisdiction, err) <
	            0 ||
	    json_field_string(ret->body, "", "licence_number", true, LICENCE_MAX, &ret->licence,
	                      err) < 0 ||
	    fields_read(a, ret->body, true, &ret->f, err) < 0)
		return -EINVAL;
	return 0;
}

int establishment_change_read(struct arena *a, const char *body, size_t len,
                              struct establishment_doc *ret, struct json_error *err)
{
	static const char *const keys[] = {
		"name",      "address_line",       "city",    "postcode",      "latitude",
		"longitude", "establishment_type", "cuisine", "risk_category", NULL,
	};
	*ret = (struct establishment_doc){ 0 };
	if (object_read(a, body, len, keys, &ret->body, err) < 0 ||
	    fields_read(a, ret->body, false, &ret->f, err) < 0)
		return -EINVAL;
	return 0;
}

int licence_action_doc_read(struct arena *a, const char *body, size_t len,
                            struct rec_licence_action *ret, struct json_error *err)
{
	static const char *const keys[] = { "action", "effective_on",    "expires_on",
		                            "reason", "reason_category", NULL };
	json_t *o;
	*ret = (struct rec_licence_action){ 0 };
	if (object_read(a, body, len, keys, &o, err) < 0 ||
	    json_field_string(o, "", "action", true, 16, &ret->action, err) < 0 ||
	    json_field_string(o, "", "effective_on", false, 10, &ret->effective_on, err) < 0 ||
	    json_field_string(o, "", "expires_on", false, 10, &ret->expires_on, err) < 0 ||
	    json_field_string(o, "", "reason", false, 2000, &ret->reason, err) < 0 ||
	    json_field_string(o, "", "reason_category", false, 32, &ret->reason_category, err) < 0)
		return -EINVAL;
	return 0;
}

int staff_doc_read(struct arena *a, const char *body, size_t len, struct staff_doc *ret,
                   struct json_error *err)
{
	static const char *const keys[] = { "username", "display_name", "role", "password", NULL };
	json_t *o;
	const char *role_text, *why;
	*ret = (struct staff_doc){ 0 };
	if (object_read(a, body, len, keys, &o, err) < 0 ||
	    json_field_string(o, "", "username", true, 256, &ret->username, err) < 0 ||
	    json_field_string(o, "", "display_name", false, 1024, &ret->display_name, err) < 0 ||
	    json_field_string(o, "", "role", true, 64, &role_text, err) < 0 ||
	    json_field_string(o, "", "password", true, 64 * 1024, &ret->password, err) < 0)
		return -EINVAL;
	if (!ret->display_name)
		ret->display_name = ret->username;
	if (auth_username_check(ret->username, &why) < 0)
		return json_error_set_text(err, "/username", NULL, why);
	if (auth_display_name_check(ret->display_name, &why) < 0)
		return json_error_set_text(err, "/display_name", NULL, why);
	if (auth_role_parse(role_text, &ret->role) < 0)
		return json_error_set(err, "/role", "api.registry.role", "roles", AUTH_ROLE_NAMES,
		                      NULL);
	if (auth_password_check(ret->password, strlen(ret->password), &why) < 0)
		return json_error_set_text(err, "/password", NULL, why);
	return 0;
}

int sign_in_doc_read(struct arena *a, const char *body, size_t len, struct sign_in_doc *ret,
                     struct json_error *err)
{
	static const char *const keys[] = { "username", "password", NULL };
	json_t *o;
	*ret = (struct sign_in_doc){ 0 };
	if (object_read(a, body, len, keys, &o, err) < 0 ||
	    json_field_string(o, "", "username", true, 256, &ret->username, err) < 0 ||
	    json_field_string(o, "", "password", true, AUTH_PASSWORD_MAX_BYTES, &ret->password,
	                      err) < 0)
		return -EINVAL;
	return 0;
}
