package io.exlm.mon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's {@code keytool} for this
 * run: untrusted by the system, so that a TLS failure is real. Written as a PKCS12 key store (for a Java server), as
 * PEM files for a Go server ({@code cert.pem}, {@code key.pem}) and {@code ca.pem} for {@code --ca-file}.
 */
public record SelfSignedCert(Path keyStore, char[] password, Path certPem, Path keyPem) {
    public static SelfSignedCert create(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("key.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "srv", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "srv", "-keystore", ks.toString(), "-storetype",
                "PKCS12", "-storepass", "changeit", "-file", cert.toString()));
        SelfSignedCert made = new SelfSignedCert(ks, "changeit".toCharArray(), cert, key);
        // the private key as PKCS#8 PEM, which Go's crypto/tls reads
        PrivateKey pk = (PrivateKey) made.load().getKey("srv", made.password());
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pk.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return made;
    }

    /** The certificate's PEM, as {@code --ca-file} takes it. */
    public Path caPem() {
        return certPem;
    }

    /** A server's TLS context with this key. */
    public SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(), password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client's TLS context that trusts this certificate only (for a test reading back from the server). */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("ca", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private KeyStore load() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        return store;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + out);
        }
    }
}
