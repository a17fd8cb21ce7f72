export { TEST_CASES, TEST_CASE_IDS, testCase, type TestCaseDefinition, type TestCaseExpectation, type TestCaseId } from './cases';
export type { TestKitCa, TestKitCaseContent, TestKitContent } from './content';
export { generateTestKit, signSoftwareStatement, TEST_KIT_EXAMPLE_AUD, TEST_KIT_VALIDITY_DAYS, type GeneratedTestKit } from './generate-test-kit';
export {
  TestKitPublication, testKitFiles, testKitView, TEST_KIT_CACHE_MS, TEST_KIT_NOTICE,
  type LoadedTestKit, type TestKitAnswer,
} from './publication';
export { renewTestKits, TEST_KIT_RENEW_DAYS, type TestKitRenewal } from './renew-test-kits';
