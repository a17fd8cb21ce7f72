#!/usr/bin/env bash
echo "the Prisma schema engine is not used by this project; migrations run through libs/db" >&2
exit 1
