#!/usr/bin/env bash
# OSIA use case 7, bank account opening: the bank verifies what the customer claims (Third Party verify: a yes
# or no with a signed proof, no personal data returned), opens the account, then reads an attribute set.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UIN="B-$RUN"
register_citizen "$UIN" Ada Lovelace 1815-12-10

echo "1. verify the claimed name and date of birth (verificationCode 0 = every attribute matches):"
RESULT=$(json POST "/thirdparty/v1/verify/$UIN?$TX&verificationProofRequired=true" \
  '{"biographicData":{"firstName":"Ada","lastName":"Lovelace","dateOfBirth":"1815-12-10"}}')
echo "$RESULT" | jq -c '{verificationCode, verificationMessage}'
echo "$RESULT" | jq -e '.verificationCode == 0' >/dev/null   # keep .verificationProof: a signed JWT for the auditors

echo "2. read the DEFAULT_SET_01 attribute set (needs the scope id.DEFAULT_SET_01.read):"
osia GET "/thirdparty/v1/attributes/DEFAULT_SET_01/$UIN?$TX" | jq -e '.biographicData.lastName == "Lovelace"'
