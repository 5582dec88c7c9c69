module.exports = {
  displayName: 'shared-metrics',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // ml-kmeans 7 and its ml-* dependencies are ESM-only (setup-notes.md): ts-jest turns them into CommonJS.
  transformIgnorePatterns: ['node_modules/(?!(ml-[^/]+|is-any-array)/)'],
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../../coverage/libs/shared/metrics',
};
