/** Optional e-mail (nodemailer over SMTP): invitation and reset links are also mailed when SMTP_URL is set. */
import nodemailer, { type Transporter } from 'nodemailer'

export type Mailer = {
  /** Whether mails are sent at all (SMTP configured). */
  enabled: boolean
  /** Sends a plain-text mail; resolves false (and never throws) when it could not be sent. */
  send(to: string, subject: string, text: string): Promise<boolean>
}

/** A mailer for the SMTP URL, or a disabled one. */
export function createMailer(smtp: { url: string; from: string } | undefined, onError: (error: unknown) => void): Mailer {
  if (!smtp) return { enabled: false, send: async () => false }
  const transport: Transporter = nodemailer.createTransport(smtp.url)
  return {
    enabled: true,
    async send(to, subject, text) {
      try {
        await transport.sendMail({ from: smtp.from, to, subject, text })
        return true
      } catch (error) {
        onError(error)
        return false
      }
    },
  }
}
