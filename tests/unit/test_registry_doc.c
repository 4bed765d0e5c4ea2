/*
 * test_registry_doc.c - cmocka tests for the request body readers of src/api/registry_doc.c:
 * jurisdictions, establishments (new and changed), licence actions, staff accounts and
 * signing in. Valid bodies with what they decode to, and the refusals with the field they
 * name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/registry_doc.h"

static struct arena *A;
static struct json_error err;

static int setup(void **state)
{
	(void)state;
	A = arena_new();
	memset(&err, 0, sizeof(err));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_destroy(A);
	return 0;
}

/* The reader refused with -EINVAL naming @f. */
#define assert_refused_field(rc, f)                                                                \
	do {                                                                                       \
		assert_int_equal((rc), -EINVAL);                                                   \
		assert_string_equal(err.field, (f));                                               \
		memset(&err, 0, sizeof(err));                                                      \
	} while (0)

/* ... and with the detail exactly @d. */
#define assert_refused(rc, f, d)                                                                   \
	do {                                                                                       \
		assert_int_equal((rc), -EINVAL);                                                   \
		assert_string_equal(err.field, (f));                                               \
		assert_string_equal(err.detail, (d));                                              \
		memset(&err, 0, sizeof(err));                                                      \
	} while (0)

#define READ(fn, body, ret) fn(A, (body), strlen(body), (ret), &err)

static void test_jurisdiction(void **state)
{
	(void)state;
	struct rec_jurisdiction j;
	assert_int_equal(READ(jurisdiction_doc_read,
	                      "{\"code\":\"LDN\",\"name\":\"London\",\"scheme\":\"fhrs\"}", &j),
	                 0);
	assert_string_equal(j.code, "LDN");
	assert_string_equal(j.name, "London");
	assert_string_equal(j.scheme, "fhrs");
	assert_null(j.timezone);
	assert_int_equal(READ(jurisdiction_doc_read,
	                      "{\"code\":\"X\",\"name\":\"X\",\"scheme\":\"s\",\"timezone\":"
	                      "\"Europe/London\"}",
	                      &j),
	                 0);
	assert_string_equal(j.timezone, "Europe/London");
	assert_refused_field(READ(jurisdiction_doc_read, "{\"name\":\"X\",\"scheme\":\"s\"}", &j),
	                     "/code");
	assert_refused_field(READ(jurisdiction_doc_read,
	                          "{\"code\":\"X\",\"name\":\"X\","
	                          "\"scheme\":\"s\",\"colour\":1}",
	                          &j),
	                     "/colour");
	assert_refused_field(READ(jurisdiction_doc_read, "{\"code\":", &j), "body");
	assert_refused_field(READ(jurisdiction_doc_read, "[]", &j), "body");
}

static void test_scheme_assignment(void **state)
{
	(void)state;
	struct scheme_assignment_doc d;
	assert_int_equal(READ(scheme_assignment_doc_read,
	                      "{\"scheme\":\"gotham\",\"applies_from\":\"2027-01-31\"}", &d),
	                 0);
	assert_string_equal(d.scheme, "gotham");
	assert_string_equal(d.applies_from, "2027-01-31");
	assert_refused_field(
	        READ(scheme_assignment_doc_read, "{\"applies_from\":\"2027-01-31\"}", &d),
	        "/scheme");
	assert_refused_field(READ(scheme_assignment_doc_read, "{\"scheme\":\"gotham\"}", &d),
	                     "/applies_from");
	assert_refused_field(READ(scheme_assignment_doc_read,
	                          "{\"scheme\":\"gotham\",\"applies_from\":\"2027-13-01\"}", &d),
	                     "/applies_from");
	assert_refused_field(READ(scheme_assignment_doc_read,
	                          "{\"scheme\":\"gotham\",\"applies_from\":\"2027-01-31T00\"}", &d),
	                     "/applies_from");
	assert_refused_field(READ(scheme_assignment_doc_read,
	                          "{\"scheme\":\"gotham\",\"applies_from\":\"2027-01-31\","
	                          "\"until\":\"2028-01-01\"}",
	                          &d),
	                     "/until");
	assert_refused_field(READ(scheme_assignment_doc_read, "[]", &d), "body");
}

static void test_establishment_new(void **state)
{
	(void)state;
	struct establishment_doc d;
	assert_int_equal(READ(establishment_doc_read,
	                      "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\",\"name\":"
	                      "\"Cafe\",\"latitude\":51.5,\"longitude\":-0.25,"
	                      "\"risk_category\":\"E\"}",
	                      &d),
	                 0);
	assert_string_equal(d.jurisdiction, "LDN");
	assert_string_equal(d.licence, "L-1");
	assert_string_equal(d.f.name, "Cafe");
	assert_string_equal(d.f.latitude, "51.5000000");
	assert_string_equal(d.f.longitude, "-0.2500000");
	assert_string_equal(d.f.risk, "E");
	assert_null(d.f.city);
	assert_int_equal(json_object_size(d.body), 6);
	assert_refused_field(READ(establishment_doc_read,
	                          "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\"}", &d),
	                     "/name");
	assert_refused(READ(establishment_doc_read,
	                    "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\",\"name\":\"\"}",
	                    &d),
	               "/name", "\"name\" must not be empty.");
	assert_refused(READ(establishment_doc_read,
	                    "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\",\"name\":\"C\","
	                    "\"risk_category\":\"F\"}",
	                    &d),
	               "/risk_category", "\"risk_category\" must be A to E.");
	assert_refused(READ(establishment_doc_read,
	                    "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\",\"name\":\"C\","
	                    "\"latitude\":1}",
	                    &d),
	               "/longitude", "\"latitude\" and \"longitude\" go together.");
	assert_refused(READ(establishment_doc_read,
	                    "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\",\"name\":\"C\","
	                    "\"longitude\":1}",
	                    &d),
	               "/latitude", "\"latitude\" and \"longitude\" go together.");
	assert_refused_field(READ(establishment_doc_read,
	                          "{\"jurisdiction\":\"LDN\",\"licence_number\":\"L-1\",\"name\":"
	                          "\"C\",\"latitude\":91,\"longitude\":0}",
	                          &d),
	                     "/latitude");
}

static void test_establishment_change(void **state)
{
	(void)state;
	struct establishment_doc d;
	/* Nothing to change is for the records layer to refuse: it reads the body's size. */
	assert_int_equal(READ(establishment_change_read, "{}", &d), 0);
	assert_int_equal(json_object_size(d.body), 0);
	assert_null(d.f.name);
	assert_int_equal(READ(establishment_change_read, "{\"city\":\"Leeds\",\"name\":null}", &d),
	                 0);
	assert_string_equal(d.f.city, "Leeds");
	assert_null(d.f.name);
	assert_int_equal(json_object_size(d.body), 2);
	assert_refused_field(READ(establishment_change_read, "{\"licence_number\":\"L-2\"}", &d),
	                     "/licence_number");
}

static void test_licence_action(void **state)
{
	(void)state;
	struct rec_licence_action la;
	assert_int_equal(READ(licence_action_doc_read,
	                      "{\"action\":\"suspended\",\"effective_on\":\"2026-05-01\","
	                      "\"reason\":\"pests\"}",
	                      &la),
	                 0);
	assert_string_equal(la.action, "suspended");
	assert_string_equal(la.effective_on, "2026-05-01");
	assert_null(la.expires_on);
	assert_string_equal(la.reason, "pests");
	assert_refused_field(READ(licence_action_doc_read, "{}", &la), "/action");
	assert_refused_field(READ(licence_action_doc_read,
	                          "{\"action\":\"issued\",\"effective_on\":\"2026-05-01T00\"}",
	                          &la),
	                     "/effective_on");
}

static void test_staff(void **state)
{
	(void)state;
	struct staff_doc s;
	assert_int_equal(READ(staff_doc_read,
	                      "{\"username\":\"ann\",\"role\":\"inspector\",\"password\":"
	                      "\"correct horse battery\"}",
	                      &s),
	                 0);
	assert_string_equal(s.username, "ann");
	assert_string_equal(s.display_name, "ann");
	assert_int_equal(s.role, AUTH_ROLE_INSPECTOR);
	assert_string_equal(s.password, "correct horse battery");
	assert_int_equal(READ(staff_doc_read,
	                      "{\"username\":\"bo\",\"display_name\":\"Bo B\",\"role\":\"admin\","
	                      "\"password\":\"correct horse battery\"}",
	                      &s),
	                 0);
	assert_string_equal(s.display_name, "Bo B");
	assert_int_equal(s.role, AUTH_ROLE_ADMIN);
	assert_refused(READ(staff_doc_read,
	                    "{\"username\":\"ann\",\"role\":\"chef\",\"password\":\"correct horse "
	                    "battery\"}",
	                    &s),
	               "/role", "\"role\" must be one of " AUTH_ROLE_NAMES ".");
	assert_refused_field(
	        READ(staff_doc_read,
	             "{\"username\":\"ann\",\"role\":\"clerk\",\"password\":\"short\"}", &s),
	        "/password");
	assert_refused_field(READ(staff_doc_read,
	                          "{\"username\":\"a b\",\"role\":\"clerk\",\"password\":\"correct "
	                          "horse battery\"}",
	                          &s),
	                     "/username");
}

static void test_sign_in(void **state)
{
	(void)state;
	struct sign_in_doc s;
	assert_int_equal(READ(sign_in_doc_read, "{\"username\":\"ann\",\"password\":\"pw\"}", &s),
	                 0);
	assert_string_equal(s.username, "ann");
	assert_string_equal(s.password, "pw");
	assert_refused_field(READ(sign_in_doc_read, "{\"username\":\"ann\"}", &s), "/password");
	assert_refused_field(
	        READ(sign_in_doc_read, "{\"username\":\"ann\",\"password\":\"pw\",\"otp\":1}", &s),
	        "/otp");
	assert_refused_field(READ(sign_in_doc_read, "not json", &s), "body");
}

int main(void)
{
	/* The sentences of refusals come from the catalogues. */
	char why[512];
	if (i18n_load(PLACARD_SOURCE_ROOT "/web", why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_jurisdiction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scheme_assignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_establishment_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_establishment_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_licence_action, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_in, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
