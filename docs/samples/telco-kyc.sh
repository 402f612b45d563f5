#!/usr/bin/env bash
# OSIA use case 9, telco SIM registration with an ID document: the telco checks the card the customer shows
# (Third Party verify by credential number, with proof), reads the card's metadata, then pre-fills the customer
# record (readAttributes). The registry office issued the card beforehand (CMS).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UIN="T-$RUN"
register_citizen "$UIN" Ada Lovelace 1815-12-10
json POST "/cms/v1/credentialRequests/card-$RUN?$TX" "{\"personId\":\"$UIN\",\"biographicData\":{},
  \"requestData\":{\"credentialProfileId\":\"RESIDENCE_PERMIT\",\"requestType\":\"FIRST_ISSUANCE\",\"priority\":1}}"
CREDENTIAL=$(osia GET "/cms/v1/credentialRequests/card-$RUN?$TX" | jq -r '.credentialIds[0]')
CARD=$(osia GET "/cms/v1/credentials/$CREDENTIAL?$TX" | jq -r .credentialNumber)

echo "1. the card $CARD belongs to the person at the counter (verificationCode 0):"
RESULT=$(json POST "/thirdparty/v1/verify/$CARD?identifierType=credentialNumber&verificationProofRequired=true&$TX" \
  '{"biographicData":{"firstName":"Ada","lastName":"Lovelace"}}')
echo "$RESULT" | jq -c '{verificationCode, verificationMessage}'
echo "$RESULT" | jq -e '.verificationCode == 0' >/dev/null   # store .verificationProof for compliance

echo "2. the card's metadata (in force?):"
json POST "/thirdparty/v1/attributes/$CARD?identifierType=credentialNumber&$TX" \
  '{"outputCredentialData":[{"credentialType":"ID_CARD","credentialDataFields":["status","expiryDate"]}]}' | jq -e -c '.credentialData[0] | select(.status == "ACTIVE")'

echo "3. pre-fill the customer record:"
json POST "/thirdparty/v1/attributes/$CARD?identifierType=credentialNumber&$TX" \
  '{"outputBiographicData":["firstName","lastName","dateOfBirth"],"outputContactData":["email"]}' | jq -e -c 'select(.biographicData.lastName == "Lovelace")'
