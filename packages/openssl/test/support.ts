// Whether this Node should run the openssl backend, decided here from the
// Node version alone (not by the package's own check): node:crypto has ML-KEM
// encapsulation from Node 24.7, and every Node the project tests on bundles
// OpenSSL 3.5 from there on (scripts/node-versions.txt: 22, 24, 26).
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
export const nodeHasMlKem = major > 24 || (major === 24 && minor >= 7);
