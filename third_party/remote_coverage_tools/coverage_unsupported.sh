#!/bin/sh
echo "basalt: 'bazel coverage' is not supported yet (see README.md, Hermeticity)" >&2
exit 1
