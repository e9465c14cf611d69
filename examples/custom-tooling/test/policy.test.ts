import { readFileSync } from 'node:fs'
import { loadDeploymentSpecText, validateHomeserver } from '@messenger-stack/config-schema'
import { expect, it } from 'vitest'
import { parse } from 'yaml'
import { renderWithPolicy } from '../src/policy.js'

const spec = loadDeploymentSpecText(readFileSync(new URL('../deployment.yaml', import.meta.url), 'utf8'), 'deployment.yaml')
const policy = { adminContact: 'admin@example.net', maxLifetime: '180d' }

it('renders homeserver.yaml with the policy (the file is pinned)', async () => {
  await expect(renderWithPolicy(spec, policy)).toMatchFileSnapshot('__snapshots__/homeserver.yaml')
})

it('the policy keys are in the file, and messenger-stack lists them as not modelled', () => {
  const text = renderWithPolicy(spec, policy)
  expect(parse(text)).toMatchObject({ admin_contact: 'mailto:admin@example.net', retention: { enabled: true } })
  expect(validateHomeserver(text).notModelled.map((key) => key.path.join('.'))).toEqual(['admin_contact', 'retention'])
})

it('a policy that sets a key messenger-stack renders is refused', () => {
  const clash = { ...spec, synapse: { ...spec.synapse, extraConfig: { server_name: 'other.example' } } }
  expect(() => renderWithPolicy(clash, policy)).toThrow(/server_name/)
})
