// A C view of RE2 (Debian's libre2): compile a pattern once, match UTF-8 text against it in time
// linear in the text, free it. RE2 itself is C++; Swift sees only these functions.
#ifndef RABT_CRE2_H
#define RABT_CRE2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled RE2 program. Matching through a `const` handle is safe from any number of threads
/// at once (RE2 guards its lazily built automata itself).
typedef struct rabt_re2 rabt_re2;

/// Compiles `pattern` (RE2 syntax, `length` UTF-8 bytes, case-sensitive, no capture groups kept)
/// with at most `max_memory` bytes for the program and its automata. Returns NULL when RE2
/// refuses the pattern, with RE2's reason, NUL-terminated and truncated to fit, in `error`.
rabt_re2 *_Nullable rabt_re2_compile(const char *_Nonnull pattern, size_t length, int64_t max_memory,
                                     char *_Nonnull error, size_t error_capacity);

/// Whether the pattern matches somewhere in `text` (`length` UTF-8 bytes; NULL when empty).
bool rabt_re2_partial_match(const rabt_re2 *_Nonnull re, const char *_Nullable text, size_t length);

/// Whether the pattern matches the whole of `text`.
bool rabt_re2_full_match(const rabt_re2 *_Nonnull re, const char *_Nullable text, size_t length);

/// Frees a handle from `rabt_re2_compile`.
void rabt_re2_free(rabt_re2 *_Nullable re);

#ifdef __cplusplus
}
#endif

#endif
