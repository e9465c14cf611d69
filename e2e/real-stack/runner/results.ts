import { writeFileSync, renameSync } from 'node:fs'
import { STEPS, type RunnerResults, type StepName } from './plan.js'

/** Records step results to the results file after every step (atomic rewrite). */
export class ResultRecorder {
  readonly results: RunnerResults = { steps: {}, logs: {}, finished: false }

  private readonly only: RegExp | undefined

  constructor(
    private readonly file: string,
    onlySteps?: string,
  ) {
    this.only = onlySteps === undefined ? undefined : new RegExp(onlySteps)
    this.flush()
  }

  /** Runs one step: `fn` returns the observed details or throws; never throws itself. */
  async step(name: StepName, fn: (details: Record<string, unknown>) => Promise<void>): Promise<boolean> {
    const started = Date.now()
    const details: Record<string, unknown> = {}
    if (this.only !== undefined && !this.only.test(name) && name !== STEPS[0]) {
      this.results.steps[name] = {
        ok: false,
        durationMs: 0,
        details,
        error: `not selected by MESSENGER_STACK_E2E_STEPS=${this.only.source}`,
      }
      this.flush()
      return false
    }
    console.log(`[runner] step: ${name}`)
    try {
      await fn(details)
      this.results.steps[name] = { ok: true, durationMs: Date.now() - started, details }
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err)
      console.log(`[runner] step failed: ${name}: ${error}`)
      this.results.steps[name] = { ok: false, durationMs: Date.now() - started, details, error }
    }
    this.flush()
    return this.results.steps[name]!.ok
  }

  flush(): void {
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(this.results, null, 2)}\n`)
    renameSync(`${this.file}.tmp`, this.file)
  }
}
