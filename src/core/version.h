/*
 * version.h - the version the build was made from (set by meson from the project version).
 */
#ifndef PLACARD_CORE_VERSION_H
#define PLACARD_CORE_VERSION_H

#ifndef PLACARD_VERSION
#define PLACARD_VERSION "0.0.0-dev"
#endif

#endif
