/**
 * The built-in dictionary: the person attributes of the OSIA technical annex, read from the reference identity's
 * `biographicData` as the PR examples record them. config/dataaccess-dictionary.yaml is the same dictionary as a
 * file to copy and adapt (a test keeps the two equal).
 */
export const DEFAULT_DICTIONARY = {
  attributes: {
    uin: { path: 'person.personId' },
    firstName: { path: 'biographicData.firstName' },
    lastName: { path: 'biographicData.lastName' },
    spouseName: { path: 'biographicData.spouseName' },
    dateOfBirth: { path: 'biographicData.dateOfBirth', type: 'date' },
    placeOfBirth: { path: 'biographicData.placeOfBirth' },
    // ISO 5218 on the wire; the PR examples record "M" and "F".
    gender: { path: 'biographicData.gender', type: 'integer', values: { M: 1, F: 2 } },
    nationality: { path: 'biographicData.nationality' },
    dateOfDeath: { path: 'biographicData.dateOfDeath', type: 'date' },
    placeOfDeath: { path: 'biographicData.placeOfDeath' },
    reasonOfDeath: { path: 'biographicData.reasonOfDeath' },
  },
};
