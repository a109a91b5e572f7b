#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when an executable exports a symbol that a Qt 5 or OpenCV library it loads refers to by
# name. Debian's libtorch loads Qt 5 (libtorch_cpu -> OpenCV highgui -> Qt5Widgets) next to our
# Qt 6; the dynamic linker binds such a reference to the executable's copy, so Qt 5 code would run
# a Qt 6 inline function on Qt 5 objects (operator==(QString, QString) in a release build,
# QByteArray::append in a Debug build: a crash at start-up under ASan). CMakeLists.txt builds with
# hidden visibility to prevent it.
#   check_exports.sh EXECUTABLE...
set -euo pipefail
status=0
for exe in "$@"; do
  [[ -x "$exe" ]] || { echo "$exe: not an executable"; exit 1; }
  exported=$(mktemp); wanted=$(mktemp)
  nm -D --defined-only "$exe" | awk '{print $3}' | sort -u > "$exported"
  libs=$(ldd "$exe" | awk '$3 ~ /^\// {print $3}' | grep -E '/lib(Qt5|opencv_)[^/]*$' || true)
  for lib in $libs; do
    nm -D --undefined-only "$lib" | awk '{print $2}' | sed 's/@.*//'
  done | sort -u > "$wanted"
  clashes=$(comm -12 "$exported" "$wanted" | c++filt)
  echo "$exe: $(wc -l < "$exported") exported symbols, $(echo "$libs" | grep -c . || true) Qt 5/OpenCV libraries loaded"
  if [[ -n "$clashes" ]]; then
    echo "$exe exports symbols that Qt 5/OpenCV libraries bind to:"
    echo "$clashes" | sed 's/^/  /'
    status=1
  fi
  rm -f "$exported" "$wanted"
done
exit $status
