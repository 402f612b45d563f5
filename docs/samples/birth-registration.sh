#!/usr/bin/env bash
# OSIA use case 1, birth: the civil registry checks the parents in the population registry (Data Access),
# makes sure the newborn is not registered yet, gets a UIN (UIN Management) and registers the child (PR).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

MOTHER="M-$RUN"
register_citizen "$MOTHER" Mary Kingsley 1990-04-02   # the mother, already in the registry

echo "1. the declared mother matches the registry ([] = every attribute matches):"
json POST "/dataaccess/v1/persons/$MOTHER/match" '{"firstName":"Mary","lastName":"Kingsley","dateOfBirth":"1990-04-02"}'
echo
echo "2. her attributes, for the birth record:"
osia GET "/dataaccess/v1/persons/$MOTHER?attributeNames=lastName&attributeNames=dateOfBirth"
echo
echo "3. the newborn is not registered yet (404: nobody matches):"
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  "$BASE/dataaccess/v1/persons?firstName=Ella&lastName=Kingsley&dateOfBirth=2026-11-30")
[ "$status" = 404 ] || { echo "a person matches already ($status): not registering twice" >&2; exit 1; }
echo "$status"

echo "4. a UIN for the newborn:"
UIN=$(json POST "/uin/v1/uin?$TX" '{"firstName":"Ella","lastName":"Kingsley","dateOfBirth":"2026-11-30"}' | jq -r .)
echo "$UIN"

echo "5. the child in the population registry: person, birth identity, reference"
register_citizen "$UIN" Ella Kingsley 2026-11-30
osia GET "/dataaccess/v1/persons/$UIN?attributeNames=firstName&attributeNames=lastName&attributeNames=dateOfBirth"
echo
