// The typed worker endpoint table equals Synapse's table in ../shared/oracles/synapse exactly:
// every pattern, in order, in the same list; the source commit and version too.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SYNAPSE_WORKER_ENDPOINTS, UPSTREAM_VERSIONS } from '../src/index.js'
import { repoPath } from './_helpers.js'

const oracle = JSON.parse(readFileSync(repoPath('../shared/oracles/synapse/worker-endpoints.json'), 'utf8')) as Record<string, unknown>
const patterns = (list: readonly { pattern: string }[]) => list.map((entry) => entry.pattern)

describe('SYNAPSE_WORKER_ENDPOINTS', () => {
  it('equals the oracle file, list by list, pattern by pattern', () => {
    const table = SYNAPSE_WORKER_ENDPOINTS
    const ours = {
      source: table.source,
      generic_worker: {
        any_method: patterns(table.genericWorker.anyMethod),
        get_only: patterns(table.genericWorker.getOnly),
        room_sticky_pagination: patterns(table.genericWorker.roomStickyPagination),
        sso_single_process: patterns(table.genericWorker.ssoSingleProcess),
      },
      stream_writers: table.streamWriters,
      multi_writer_streams: table.multiWriterStreams,
      user_directory_search: table.userDirectorySearch,
      media_repository: { prefixes: table.mediaRepository.prefixes, admin_regexes: table.mediaRepository.adminRegexes },
    }
    // `note` is prose about the file; everything else is data and must match.
    const { note: _note, ...data } = oracle
    expect(ours).toEqual(data)
  })

  it('comes from a Synapse release no newer than the one the SDK runs (routes only move to workers over time)', () => {
    const [major, minor] = SYNAPSE_WORKER_ENDPOINTS.source.version.split('.').map(Number)
    const [pinnedMajor, pinnedMinor] = /(\d+)\.(\d+)/.exec(UPSTREAM_VERSIONS.synapse)!.slice(1).map(Number)
    expect(major! * 1000 + minor!).toBeLessThanOrEqual(pinnedMajor! * 1000 + pinnedMinor!)
  })

  it('every pattern compiles, is anchored, and no pattern repeats within a list', () => {
    const lists = [
      ...Object.values(SYNAPSE_WORKER_ENDPOINTS.genericWorker).map(patterns),
      ...Object.values(SYNAPSE_WORKER_ENDPOINTS.streamWriters),
      SYNAPSE_WORKER_ENDPOINTS.userDirectorySearch,
      SYNAPSE_WORKER_ENDPOINTS.mediaRepository.adminRegexes,
    ]
    for (const list of lists) {
      expect(new Set(list).size).toBe(list.length)
      for (const pattern of list) {
        expect(pattern.startsWith('^/_'), pattern).toBe(true)
        expect(() => new RegExp(pattern)).not.toThrow()
      }
    }
  })

  it('labels each generic-worker pattern with its upstream group', () => {
    const groups = SYNAPSE_WORKER_ENDPOINTS.genericWorker.anyMethod.map((entry) => entry.group)
    expect(groups.filter((group) => group === 'login')).toHaveLength(5)
    expect(groups.filter((group) => group === 'sync')).toHaveLength(4)
    expect(groups.filter((group) => group === 'event-sending')).toHaveLength(7)
  })
})
