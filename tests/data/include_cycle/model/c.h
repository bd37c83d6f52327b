/* c includes a: the loop a -> b -> c -> a */
#include "a.h"
#include <stdio.h>
