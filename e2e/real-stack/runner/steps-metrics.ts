import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { parse } from 'yaml'
import { BUNDLE_PATHS, serviceEnabled, type ServiceName } from '@messenger-stack/config-schema'
import { check, type StepContext } from './context.js'

/** A metric each endpoint must report, by Prometheus job: proof it is the real server, not any HTTP answer. */
const EXPECTED: Readonly<Record<string, RegExp>> = {
  synapse: /^synapse_http_server_requests_received_total\{/m,
  livekit: /^livekit_/m,
}

/** The jobs of the test stack: services with a stand-in (the exporters and Prometheus have none). */
const RUNNING: readonly ServiceName[] = ['synapse', 'livekit']

async function get(url: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) })
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') }
}

/**
 * Scrapes, as Prometheus would, every target of the bundle's prometheus.yml whose service runs
 * here: real Synapse's metrics listener and real LiveKit's Prometheus port answer Prometheus
 * text. Synapse's client listener serves no metrics, and through nginx `/_synapse/metrics` is
 * refused.
 */
export async function metrics(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  check(ctx.spec.monitoring !== undefined, 'the test spec has no monitoring section')
  const config = parse(readFileSync(posix.join(ctx.plan.bundleDir, BUNDLE_PATHS.prometheusConfig), 'utf8')) as {
    scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[]
  }
  const scraped: string[] = []
  for (const job of config.scrape_configs) {
    const service = RUNNING.find((name) => job.job_name === name)
    if (service === undefined || !serviceEnabled(ctx.spec, service)) continue
    for (const target of job.static_configs.flatMap((c) => c.targets)) {
      const url = `http://${target}${job.metrics_path}`
      const res = await get(url)
      details[`${job.job_name}.status`] = res.status
      details[`${job.job_name}.contentType`] = res.type
      check(res.status === 200, `${url} answered ${res.status}`)
      check(EXPECTED[job.job_name]!.test(res.text), `${url} has no ${EXPECTED[job.job_name]} metric: ${res.text.slice(0, 300)}`)
      scraped.push(job.job_name)
    }
  }
  details.scraped = scraped
  check(scraped.includes('synapse') && scraped.includes('livekit'), `scraped only ${scraped.join(', ')}`)
  // The metrics resource lives on its own listener only: not on the port nginx proxies to.
  const clientPort = await get(`${ctx.synapseUrl}/_synapse/metrics`)
  details.clientListenerStatus = clientPort.status
  check(clientPort.status === 404 && !clientPort.text.includes('synapse_'), `Synapse's client listener answered ${clientPort.status}`)
  const publicMetrics = await get(`${ctx.publicUrl}/_synapse/metrics`)
  details.publicStatus = publicMetrics.status
  check(publicMetrics.status === 404, `nginx answered ${publicMetrics.status} for /_synapse/metrics`)
  check(!publicMetrics.text.includes('synapse_'), 'nginx passed metrics through')
}
