#!/bin/bash
# copy-tree.sh SRC DEST: copy the rtmon source tree (the working tree, not only what is committed) without build
# directories, caches and generated autotools output, so a package build starts from sources only.
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest"
tar -C "$src" -c \
	--exclude=./.git --exclude='./build-*' --exclude='./build' --exclude=./autom4te.cache \
	--exclude=node_modules --exclude=./dashboard/dist --exclude=./debian/build \
	--exclude=./debian/rtmon --exclude=./debian/.debhelper --exclude=./debian/files \
	--exclude='./debian/*.substvars' --exclude='./debian/*.log' --exclude='./debian/debhelper-build-stamp' \
	--exclude=./configure --exclude='./configure~' --exclude=./aclocal.m4 --exclude=./Makefile.in \
	--exclude=./config.status --exclude=./config.log --exclude=./Makefile \
	--exclude='*.o' --exclude='*.tar.gz' . | tar -C "$dest" -x
