# Shared by the curl samples: `. lib.sh`. Needs curl and jq.
# BASE is the server root (osia-server's prefixes /pr, /dataaccess, ... are appended); TOKEN a bearer token.
: "${BASE:?set BASE, e.g. http://localhost:8080}"
: "${TOKEN:?set TOKEN to a bearer token (npm run token -- --scope ...)}"
# Ids are chosen by the client in OSIA: RUN keeps this run's ids apart from earlier runs'.
RUN=${RUN:-$(date +%s)$RANDOM}
TX="transactionId=sample-$RUN"

# osia METHOD PATH [curl options...]: the answer body on stdout; stops the sample on an HTTP error,
# printing the OSIA Error object {code, message}.
osia() {
  local method=$1 path=$2
  shift 2
  curl -sS --fail-with-body -X "$method" "$BASE$path" -H "Authorization: Bearer $TOKEN" "$@"
}

# json METHOD PATH BODY: the same with a JSON body.
json() {
  osia "$1" "$2" -H 'Content-Type: application/json' -d "$3"
}

# register_citizen UIN FIRST LAST DATE_OF_BIRTH [GALLERY]: a person with a VALID reference identity, as a civil
# registry would have recorded it (PR createPerson, createIdentityWithId, defineReference).
register_citizen() {
  json POST "/pr/v1/persons/$1?$TX" '{"status":"ACTIVE","physicalStatus":"ALIVE"}'
  json POST "/pr/v1/persons/$1/identities/civil?$TX" "{\"identityType\":\"CIVIL\",\"status\":\"VALID\",\"galleries\":[\"${5:-CITIZENS}\"],
    \"biographicData\":{\"firstName\":\"$2\",\"lastName\":\"$3\",\"dateOfBirth\":\"$4\"},
    \"contextualData\":{\"contactData\":{\"email\":\"$(echo "$2" | tr 'A-Z' 'a-z')@example.org\"}}}"
  osia PUT "/pr/v1/persons/$1/identities/civil/reference?$TX"
}
