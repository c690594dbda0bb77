/** Peak resident memory of the process so far, in MB (getrusage maxrss): shows which stage sets the peak. */
export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
