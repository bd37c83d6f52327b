/* elfsym — symbols of the ELF files mapped into a target, through libelf.
 *
 * Files are opened through /proc/PID/root/<path> (so a target inside a
 * container is read from its own filesystem), falling back to
 * /proc/PID/map_files/<range> and then the plain path.  Symbols come from
 * .symtab when present and .dynsym otherwise (stripped distro binaries keep
 * .dynsym).  All addresses given out are target run-time addresses: the
 * load bias computed from the mapping of file offset 0 is already applied.
 */
#ifndef HS_ELFSYM_H
#define HS_ELFSYM_H

#include <stdint.h>
#include <sys/types.h>
#include "err.h"
#include "memsrc.h"

struct elf_image;

/* Open the ELF file mapped at `path` in target `pid` (maps: its mapping
 * list).  Errors: HS_ERR_READ when the file cannot be opened/parsed. */
enum hs_status elf_image_open(pid_t pid, const struct mem_map *maps, size_t n,
			      const char *path, struct elf_image **out,
			      struct hs_err *err);

/* Look a symbol up by name; 0 and fills addr (+size if non-NULL), or -1. */
int elf_image_sym(struct elf_image *im, const char *name, raddr_t *addr,
		  uint64_t *size);

/* How many symbols are called `name` (static variables of several files
 * may share one); 0 when there are none or no symbol table. */
int elf_image_sym_count(struct elf_image *im, const char *name);

/* Read bytes at a run-time address from the file's own contents (PROGBITS
 * sections only; .bss reads fail).  0 or -1. */
int elf_image_read(struct elf_image *im, raddr_t addr, void *buf, size_t len);

/* Name of the symbol containing run-time address addr, or NULL.  Used to
 * identify C types by their tp_traverse/tp_dealloc functions. */
const char *elf_image_addr_name(struct elf_image *im, raddr_t addr);

/* Run-time address of the start of a named section (e.g. ".PyRuntime") and
 * its size; 0 or -1. */
int elf_image_section(struct elf_image *im, const char *name, raddr_t *addr,
		      uint64_t *size);

/* The GNU build id as hex into out (cap >= 41 for SHA-1 ids); 0 or -1. */
int elf_image_build_id(struct elf_image *im, char *out, size_t cap);

uint64_t elf_image_bias(struct elf_image *im);
const char *elf_image_path(struct elf_image *im);
/* HS_OK when im is a 64-bit x86-64 ELF file, the only kind whose Python
 * heapscope can read (its layouts are those of x86-64); otherwise
 * HS_ERR_UNSUPPORTED, "unsupported architecture", naming what it is. */
enum hs_status elf_image_check_arch(struct elf_image *im, pid_t pid, struct hs_err *err);
int elf_image_has_symtab(struct elf_image *im); /* 0 = only .dynsym */
void elf_image_free(struct elf_image *im);

#endif
