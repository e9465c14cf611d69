import { renderAll as renderBundle } from '../src/render-all.js'
import { kubernetesWorkloads } from '../src/kubernetes/manifests.js'
import { ConfigBundle } from '../src/kubernetes/_config-bundle.js'
import { withSharedParts } from '../src/kubernetes/_shared.js'
import { workloadConfigFiles } from '../src/kubernetes/config-maps.js'
import { podFiles } from '../src/kubernetes/pod-files.js'
import { type Workload, withRenderMemo } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import { composeTwin } from './_kubernetes-support.js'
import { exampleInput } from './_bundle-support.js'

/** Whether `value` and everything it holds is frozen: what the YAML printer prints once per render. */
function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen)
}

/** A small deterministic generator (tests never depend on Math.random). */
function generator(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

// The Synapse workers' pods share the parts of the mounts they have in common (the same mount
// objects: homeserver.yaml, log.config, the media stand-in, /tmp), frozen so that the printer
// prints each once per render. Outside `withSharedParts` every call builds its own parts: that
// general path is what the shared one must equal, whatever the mounts' order, memory sizes and images.
describe("the Synapse workers' shared volume mounts", () => {
  const input = exampleInput('kubernetes')
  const spec = composeTwin(input)
  const bundle = new ConfigBundle(renderBundle(spec))
  // In a render, as the manifests are built: the workers' workloads then share their mount objects.
  const inRender = <T>(build: () => T): T => withRenderMemo(spec, build)
  const workers = () => kubernetesWorkloads(spec).filter((workload) => workload.service === 'synapse-worker')
  const files = (workload: Workload) => {
    const config = workloadConfigFiles(workload, bundle)
    return podFiles(spec, workload, config)
  }

  it('the workers share one frozen mount for each mount they have in common', () => {
    const shared = inRender(() => withSharedParts(spec, () => workers().map(files)))
    expect(shared.length).toBeGreaterThan(2)
    for (const target of ['/config/homeserver.yaml', '/config/log.config', '/tmp', '/data']) {
      const mounts = shared.map((pod) => pod.mounts.find((mount) => mount.mountPath === target))
      expect(mounts.every((mount) => mount !== undefined)).toBe(true)
      expect(new Set(mounts).size).toBe(1)
      expect(deeplyFrozen(mounts[0])).toBe(true)
    }
    // The Secret volumes: one frozen object each; the init container copying their files: one per memory size.
    for (const name of ['secret-source', 'secrets']) {
      const volumes = shared.map((pod) => pod.volumes.find((volume) => volume.name === name))
      expect(volumes.every((volume) => volume !== undefined)).toBe(true)
      expect(new Set(volumes).size).toBe(1)
      expect(deeplyFrozen(volumes[0])).toBe(true)
    }
    const copiers = shared.map((pod) => pod.initContainers[0])
    expect(copiers.every((copier) => copier !== undefined && deeplyFrozen(copier))).toBe(true)
    expect(new Set(copiers).size).toBe(new Set(inRender(() => workers().map((worker) => worker.memoryMb))).size)
  })

  it('equal what each worker builds on its own, for its mounts in any order', () => {
    const random = generator(15)
    for (let round = 0; round < 40; round++)
      inRender(() => {
        // Each worker with its mounts shuffled: the same mount objects at other places, so other volume names.
        const shuffled = workers().map((worker) => {
          const mounts = [...worker.mounts]
          for (let index = mounts.length - 1; index > 0; index--) {
            const other = Math.floor(random() * (index + 1))
            ;[mounts[index], mounts[other]] = [mounts[other]!, mounts[index]!]
          }
          // Some with another memory size or image: their Secret copier differs, whatever mounts they share.
          const memoryMb = random() < 0.25 ? worker.memoryMb * 2 : worker.memoryMb
          return { ...worker, mounts, memoryMb, image: random() < 0.25 ? `${worker.image}-next` : worker.image }
        })
        const shared = withSharedParts(spec, () => shuffled.map(files))
        const own = shuffled.map(files)
        expect(shared).toEqual(own)
      })
  })
})
