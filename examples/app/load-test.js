// k6 load test of the ephemeral environment (SEEDS.md §2: RPS >= 5000 is the pipeline's threshold).
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
};

export default function () {
  check(http.get(`${__ENV.BASE_URL}/healthz`), { 'status 200': (r) => r.status === 200 });
}
