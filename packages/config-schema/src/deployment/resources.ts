import * as z from 'zod'

/** Host sizes the stack is tuned for. */
export const ResourceProfileSchema = z.enum(['small', 'medium', 'large']).register(z.globalRegistry, {
  description:
    "Host size the stack is tuned for: 'small' fits a 2 GB host, 'medium' a 4 GB host, 'large' 8 GB or more. Sets cache sizes, PostgreSQL memory, Redis maxmemory and container memory limits.",
})

export type ResourceProfile = z.output<typeof ResourceProfileSchema>
