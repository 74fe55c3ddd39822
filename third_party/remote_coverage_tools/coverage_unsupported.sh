#!/bin/sh
echo "basalt: 'bazel coverage' is not supported (its lcov merger is a download this build does without); run tools/coverage.sh for line and branch coverage of the host tests (README.md, Coverage)" >&2
exit 1
