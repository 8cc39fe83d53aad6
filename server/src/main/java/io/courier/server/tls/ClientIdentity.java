package io.courier.server.tls;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/** Who a mutual-TLS client is: the subject CN of the certificate it presented and the engine verified. */
final class ClientIdentity {
    private ClientIdentity() {
    }

    /** The CN of the verified client certificate, or null when the client sent none (or it has no CN). */
    static String commonName(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            return null;
        }
        return commonName(((X509Certificate) chain[0]).getSubjectX500Principal().getName());
    }

    /** The most specific CN of an RFC 2253 name ("CN=alice,OU=ops,O=Acme" is "alice"), or null. */
    static String commonName(String rfc2253) {
        try {
            List<Rdn> rdns = new LdapName(rfc2253).getRdns(); // least specific first
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
