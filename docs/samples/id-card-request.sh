#!/usr/bin/env bash
# OSIA use case 4, ID card request after a lost card: the credential provider checks the citizen in the
# registry (Data Access), suspends the lost card and requests a new one from the CMS, then follows the request.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UIN="C-$RUN"
register_citizen "$UIN" Ada Lovelace 1815-12-10
request() {  # request ID: a residence-permit card for the citizen
  json POST "/cms/v1/credentialRequests/$1?$TX" "{\"personId\":\"$UIN\",\"biographicData\":{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"},
    \"requestData\":{\"credentialProfileId\":\"RESIDENCE_PERMIT\",\"requestType\":\"$2\",\"priority\":5}}"
}
request "first-$RUN" FIRST_ISSUANCE
LOST=$(osia GET "/cms/v1/credentialRequests/first-$RUN?$TX" | jq -r '.credentialIds[0]')

echo "1. the citizen at the counter matches the registry:"
json POST "/dataaccess/v1/persons/$UIN/match" '{"firstName":"Ada","lastName":"Lovelace","dateOfBirth":"1815-12-10"}'
echo
echo "2. the lost card $LOST is suspended:"
json POST "/cms/v1/credentials/$LOST/suspend?$TX" '{"reason":"lost"}'
osia GET "/cms/v1/credentials/$LOST?$TX" | jq -r .status

echo "3. a new card is requested, and the request followed until it is issued:"
request "replacement-$RUN" REPLACEMENT
osia GET "/cms/v1/credentialRequests/replacement-$RUN?$TX" | jq -c '{status, credentialIds}'
test "$(osia GET "/cms/v1/credentialRequests/replacement-$RUN?$TX" | jq -r .status)" = ISSUED
