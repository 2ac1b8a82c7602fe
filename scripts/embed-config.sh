#!/bin/sh
# embed-config.sh FILE: print a C file that holds FILE as the built-in default
# configuration (config_builtin_text()). One source of truth: the shipped file.
set -eu
printf '/* Generated from %s by scripts/embed-config.sh: do not edit. */\n' "$(basename "$1")"
printf '#include "config.h"\n\nstatic const char builtin[] =\n'
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$1"
printf '\t;\n\nconst char *config_builtin_text(void)\n{\n\treturn builtin;\n}\n'
