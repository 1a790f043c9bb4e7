// Integration tests use the same Azurite launcher as local mode: one way to start the emulator.
export * from '../../local/azurite/startAzurite';
