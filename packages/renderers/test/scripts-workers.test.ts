// The scripts of a bundle with Synapse workers, run against a fake docker: the ordered restart
// (workers down, main up and healthy, workers up) and a restore that stops every Synapse process.
import { afterEach, describe, expect, it } from 'vitest'
import { synapseWorkers } from '@messenger-stack/config-schema'
import { exampleSpec } from './_bundle-support.js'
import { fakeDockerBundle, type FakeDockerBundle } from './support/fake-docker.js'

let bundle: FakeDockerBundle | undefined
afterEach(() => {
  bundle?.remove()
  bundle = undefined
})

const spec = exampleSpec('workers')
const workers = synapseWorkers(spec).map((worker) => worker.name)
const compose = 'compose -p chat -f docker-compose.standalone.yml'

describe('scripts with Synapse workers', () => {
  it('restart-synapse.sh stops every worker, recreates the main process and waits for it, then starts the workers', () => {
    bundle = fakeDockerBundle(spec)
    const result = bundle.run('restart-synapse.sh')
    expect(result.status, String(result.stderr)).toBe(0)
    expect(bundle.log()).toEqual([
      `${compose} stop ${workers.join(' ')}`,
      `${compose} up -d --no-deps --force-recreate synapse`,
      expect.stringMatching(/^inspect .* chat-synapse$/),
      `${compose} up -d --no-deps --force-recreate ${workers.join(' ')}`,
      ...workers.map((worker) => expect.stringMatching(new RegExp(`^inspect .* chat-${worker}$`))),
    ])
  })

  it('restore.sh stops the workers with the main process, and starts them after it is healthy', () => {
    // Plain backups, so the fake tools need no age identity.
    bundle = fakeDockerBundle({ ...spec, backups: { encryption: 'none' } })
    const dir = bundle.work
    bundle.run('backup.sh', [`${dir}/backup`])
    const result = bundle.run('restore.sh', [`${dir}/backup`])
    expect(result.status, String(result.stderr)).toBe(0)
    const log = bundle.log()
    const stop = log.indexOf(`${compose} stop ${workers.join(' ')} synapse`)
    const restore = log.findIndex((line) => line.includes('pg_restore'))
    const mainUp = log.indexOf(`${compose} up -d synapse`)
    const workersUp = log.indexOf(`${compose} up -d ${workers.join(' ')}`)
    expect(stop).toBeGreaterThanOrEqual(0)
    expect(restore).toBeGreaterThan(stop)
    expect(mainUp).toBeGreaterThan(restore)
    expect(workersUp).toBeGreaterThan(mainUp)
  })
})
