// The only header through which burnwatch reaches cmark-gfm (CommonMark + GitHub extensions).
#ifndef BURNWATCH_CCMARKGFM_SHIM_H
#define BURNWATCH_CCMARKGFM_SHIM_H
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
#endif
