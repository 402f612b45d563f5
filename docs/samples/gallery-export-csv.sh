#!/usr/bin/env bash
# Gallery export: the PR lists a gallery's members (readGalleryContent) as CSV, e.g. for a watch-list sync
# or a biometric back-end that loads galleries in bulk. `Accept: text/csv` selects CSV (JSON otherwise).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

GALLERY="EXPORT-$RUN"
register_citizen "G1-$RUN" Ada Lovelace 1815-12-10 "$GALLERY"
register_citizen "G2-$RUN" Charles Babbage 1791-12-26 "$GALLERY"

echo "members of $GALLERY:"
osia GET "/pr/v1/galleries/$GALLERY?$TX" -H 'Accept: text/csv' | tee "${OUT:-/dev/null}"
test "$(osia GET "/pr/v1/galleries/$GALLERY?$TX" -H 'Accept: text/csv' | wc -l)" -eq 3   # header and two rows
