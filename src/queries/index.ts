export { whoUses, type WhoUsesQuery, type WhoUsesResult } from "./who-uses.js";
export { offboard, type OffboardResult, type OffboardPipeline } from "./offboard.js";
export { review, judgeUse, type ReviewResult, type ReviewFinding, type ReviewReason, type FailOn } from "./review.js";
export { check, brokenReason, type CheckResult, type BrokenPipeline } from "./check.js";
export { listKeys, listPipelines, listMachineUsers, type KeyListing, type PipelineListing } from "./listings.js";
export { readFreshness, type Freshness } from "./freshness.js";
export type { RegistrationView } from "./registrations.js";
export type { UseView } from "./uses.js";
