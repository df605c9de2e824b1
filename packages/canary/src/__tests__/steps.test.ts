import { parseSteps } from '../steps';

describe('parseSteps', () => {
  test.each([
    ['', [10, 30, 50, 100]],
    ['10,30,50,100', [10, 30, 50, 100]],
    ['5, 25, 45, 65, 85, 100', [5, 25, 45, 65, 85, 100]],
    ['10%,100%', [10, 100]],
    ['100', [100]],
  ])('"%s" → %j', (text, steps) => {
    expect(parseSteps(text)).toEqual(steps);
  });

  test.each([
    ['10,30,50', 'steps: the last step is 50; steps end at 100'],
    ['10,10,100', 'steps: 10 after 10: steps must be strictly increasing'],
    ['30,10,100', 'steps: 10 after 30'],
    ['10,150', 'steps: 150 is out of range'],
    ['0,100', 'steps: 0 is out of range'],
    ['-5,100', 'steps: -5 is out of range'],
    ['ten,100', 'steps: "ten" is not a percentage'],
    ['10,,100', 'steps: "" is not a percentage'],
    ['12.5,100', 'steps: 12.5 is not a whole percentage'],
  ])('"%s" is refused: %s', (text, message) => {
    expect(() => parseSteps(text)).toThrow(message);
  });
});
