/* fixture for scripts/include_cycles.py: a <-> b */
#include "b.h"
