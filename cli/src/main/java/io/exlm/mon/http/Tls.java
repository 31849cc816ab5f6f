package io.exlm.mon.http;

import io.exlm.mon.ExitException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust configuration: the system's, a PEM file of CA certificates, or (opt-in) none at all. */
final class Tls {
    record Trust(SSLContext context, X509TrustManager manager) {
    }

    private Tls() {
    }

    /** Trusts exactly the certificates of a PEM file, as curl's --cacert and Prometheus's ca_file do. */
    static Trust fromCaFile(Path caFile) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new CaFileException(caFile + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new CaFileException(caFile + " is not a PEM certificate file (" + e.getMessage() + ")");
        }
        if (certs.isEmpty()) {
            throw new CaFileException(caFile + " holds no certificate");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
            return new Trust(ctx, tm);
        } catch (GeneralSecurityException | IOException e) {
            throw new CaFileException(caFile + " cannot be used: " + e.getMessage());
        }
    }

    /** Accepts any certificate: only behind {@code --insecure}, which the user asks for by name. */
    static Trust trustAll() {
        X509TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {all}, new SecureRandom());
            return new Trust(ctx, all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
