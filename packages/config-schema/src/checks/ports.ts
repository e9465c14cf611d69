import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { portUses, type PortUse } from '../workload/ports.js'

function describe(use: PortUse): string {
  const name = use.field.join('.')
  return name.startsWith('(') ? name.slice(1, -1) : name
}

/** Two settings that bind the same port (or overlapping ranges) in the same place. */
export function checkPortClashes(spec: DeploymentSpec): SpecIssue[] {
  const uses = portUses(spec)
  const issues: SpecIssue[] = []
  const reported = new Set<string>()
  for (let i = 0; i < uses.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = uses[i]!
      const b = uses[j]!
      if (a.scope !== b.scope || a.protocol !== b.protocol || a.start > b.end || b.start > a.end) continue
      if (a.field.join('.') === b.field.join('.')) continue
      const key = [a.field.join('.'), b.field.join('.')].sort().join('|')
      if (reported.has(key)) continue
      reported.add(key)
      const shared = Math.max(a.start, b.start)
      const blame = a.field[0]!.toString().startsWith('(') ? b : a
      const other = blame === a ? b : a
      issues.push({
        path: blame.field,
        code: 'port_clash',
        message: `${a.protocol.toUpperCase()} port ${shared} is used by both ${describe(blame)} and ${describe(other)}${a.scope === 'host' ? ' on the host' : ` in the ${a.scope} container`}.`,
        hint: `choose a free ${a.protocol.toUpperCase()} port for ${describe(blame)}.`,
      })
    }
  }
  return issues
}
