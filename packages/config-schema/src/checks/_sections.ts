import { DeploymentSpecSchema, type DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { CHECK_SECTIONS, SPEC_CHECKS, type SpecSection } from './index.js'

/**
 * Runs the cross-field rules that can run on a spec that failed field validation: each
 * top-level section is validated on its own, and a rule runs when every section it reads
 * (see `CHECK_SECTIONS`) is valid. Sections it does not read are left out.
 */
export function runChecksOnValidSections(input: unknown): SpecIssue[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return []
  const record = input as Record<string, unknown>
  const sections: Record<string, unknown> = {}
  const valid = new Set<SpecSection>()
  for (const [key, schema] of Object.entries(DeploymentSpecSchema.shape)) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined
    const parsed = schema.safeParse(value)
    if (parsed.success) {
      sections[key] = parsed.data
      valid.add(key as SpecSection)
    }
  }
  return SPEC_CHECKS.flatMap((check) => {
    const needs = CHECK_SECTIONS.get(check)
    if (needs === undefined || !needs.every((section) => valid.has(section))) return []
    return check(sections as unknown as DeploymentSpec)
  })
}
