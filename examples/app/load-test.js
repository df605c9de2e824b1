// k6 load test of the ephemeral environment. The pipeline holds it to SEEDS.md §2 (>= 5000 requests/s,
// input load-test-min-rps) from k6's exported summary; the threshold here makes a local `k6 run` say the same.
/* global __ENV */ // k6 gives the script its --env values here
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  scenarios: {
    rps: {
      executor: 'constant-arrival-rate',
      rate: 5000,
      timeUnit: '1s',
      duration: '1m',
      preAllocatedVUs: 200,
    },
  },
  thresholds: { http_reqs: ['rate>=5000'], http_req_failed: ['rate<0.01'] },
};

export default function () {
  check(http.get(`${__ENV.BASE_URL}/healthz`), { 'status 200': (r) => r.status === 200 });
}
