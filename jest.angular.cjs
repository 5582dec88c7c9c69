/** Jest settings shared by the Angular projects; each project's jest.config.cts adds its name. */
const preset = require('./jest.preset.js');

module.exports = function angularJestConfig(displayName, coverageDirectory) {
  return {
    ...preset,
    displayName,
    setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
    coverageDirectory: `${__dirname}/coverage/${coverageDirectory}`,
    transform: {
      '^.+\\.(ts|mjs|js|html)$': [
        'jest-preset-angular',
        { tsconfig: '<rootDir>/tsconfig.spec.json', stringifyContentPathRegex: '\\.(html|svg)$' },
      ],
    },
    transformIgnorePatterns: ['node_modules/(?!.*\\.mjs$)'],
    snapshotSerializers: [
      'jest-preset-angular/build/serializers/no-ng-attributes',
      'jest-preset-angular/build/serializers/ng-snapshot',
      'jest-preset-angular/build/serializers/html-comment',
    ],
  };
};
