// autocannon ships no type declarations: only what the benchmark uses is declared here.
declare module 'autocannon' {
    namespace autocannon {
        interface Request {
            method?: string;
            path?: string;
            headers?: Record<string, string>;
            body?: string | Buffer;
            setupRequest?: (request: Request, context: object) => Request;
        }
        interface Histogram {
            average: number;
            mean: number;
            min: number;
            max: number;
            p50: number;
            p90: number;
            p99: number;
            total: number;
        }
        interface Result {
            requests: Histogram & { sent: number };
            latency: Histogram;
            errors: number;
            timeouts: number;
            non2xx: number;
            duration: number;
        }
        interface Options {
            url: string;
            connections?: number;
            duration?: number;
            timeout?: number;
            method?: string;
            headers?: Record<string, string>;
            requests?: Request[];
        }
    }
    function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
    export = autocannon;
}
