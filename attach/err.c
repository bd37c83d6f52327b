#include "err.h"

#include <stdio.h>
#include <string.h>

enum hs_status hs_fail(struct hs_err *err, enum hs_status code,
		       const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void hs_err_prefix(struct hs_err *err, const char *fmt, ...)
{
	char pre[512], old[sizeof err->msg];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* Truncation is fine: the end of a long message matters least. */
	size_t n = strlen(pre);
	if (n >= sizeof err->msg)
		n = sizeof err->msg - 1;
	memcpy(err->msg, pre, n);
	size_t rest = sizeof err->msg - 1 - n;
	size_t m = strnlen(old, rest);
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = 0;
}

const char *hs_status_name(enum hs_status code)
{
	switch (code) {
	case HS_OK: return "ok";
	case HS_ERR_INTERNAL: return "internal";
	case HS_ERR_USAGE: return "usage";
	case HS_ERR_NO_PROCESS: return "no_process";
	case HS_ERR_PERMISSION: return "permission";
	case HS_ERR_NOT_PYTHON: return "not_python";
	case HS_ERR_UNSUPPORTED: return "unsupported_version";
	case HS_ERR_TARGET_CHANGED: return "target_changed";
	case HS_ERR_INCONSISTENT: return "inconsistent_heap";
	case HS_ERR_READ: return "unreadable_memory";
	case HS_ERR_NOMEM: return "out_of_memory";
	case HS_ERR_INTERRUPTED: return "interrupted";
	case HS_ERR_NOT_FOUND: return "not_found";
	case HS_ERR_BAD_FILE: return "bad_file";
	case HS_ERR_FILE_VERSION: return "file_version";
	case HS_ERR_CORE_FILES: return "core_files";
	}
	return "unknown";
}
