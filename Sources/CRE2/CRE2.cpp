#include "CRE2.h"

#include <re2/re2.h>

#include <cstring>
#include <new>

// The C handle is the RE2 object itself; the struct is only ever named, never defined.
static const re2::RE2 *unwrap(const rabt_re2 *re) { return reinterpret_cast<const re2::RE2 *>(re); }

static void copy_error(const std::string &message, char *error, size_t capacity) {
    if (capacity == 0) return;
    size_t length = message.size() < capacity - 1 ? message.size() : capacity - 1;
    std::memcpy(error, message.data(), length);
    error[length] = '\0';
}

extern "C" rabt_re2 *rabt_re2_compile(const char *pattern, size_t length, int64_t max_memory, char *error,
                                      size_t error_capacity) {
    re2::RE2::Options options;
    options.set_encoding(re2::RE2::Options::EncodingUTF8);
    options.set_log_errors(false);
    options.set_never_capture(true);
    options.set_max_mem(max_memory);
    // No exception may cross into Swift: an allocation failure is a refusal like any other.
    auto *re = new (std::nothrow) re2::RE2(re2::StringPiece(pattern, length), options);
    if (re == nullptr) {
        copy_error("out of memory", error, error_capacity);
        return nullptr;
    }
    if (!re->ok()) {
        copy_error(re->error(), error, error_capacity);
        delete re;
        return nullptr;
    }
    return reinterpret_cast<rabt_re2 *>(re);
}

extern "C" bool rabt_re2_partial_match(const rabt_re2 *re, const char *text, size_t length) {
    return re2::RE2::PartialMatch(re2::StringPiece(text, length), *unwrap(re));
}

extern "C" bool rabt_re2_full_match(const rabt_re2 *re, const char *text, size_t length) {
    return re2::RE2::FullMatch(re2::StringPiece(text, length), *unwrap(re));
}

extern "C" void rabt_re2_free(rabt_re2 *re) { delete reinterpret_cast<re2::RE2 *>(re); }
