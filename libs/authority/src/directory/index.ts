export { CommunityDirectory, DIRECTORY_MAX_AGE, DIRECTORY_REFRESH_MS, FHIR_JSON, type DirectoryAnswer } from './community-directory';
export { communityDocument, type CommunityDocument, type PublishedCa } from './community-document';
export {
  buildDirectory, searchDirectory, operationOutcome, DIRECTORY_SEARCH_PARAMETERS,
  type DirectoryData, type DirectoryResourceType, type FhirBundle, type FhirEndpoint, type FhirOrganization, type FhirOperationOutcome,
} from './fhir-directory';
