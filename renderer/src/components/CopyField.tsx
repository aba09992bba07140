import { Code, Flex, IconButton, Text, Tooltip } from '@radix-ui/themes';
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';

/** A value to paste elsewhere, with a copy button. */
export function CopyField({ label, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <Flex direction="column" gap="1">
      <Text size="1" color="gray" weight="medium">
        {label}
      </Text>
      <Flex gap="2" align="start" className="copy-field">
        <Code size="2" variant="soft" className={multiline ? 'copy-value copy-value-multiline' : 'copy-value'}>
          {value}
        </Code>
        <Tooltip content={copied ? 'Copied' : 'Copy'}>
          <IconButton size="1" variant="ghost" color="gray" onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? <Check size={14} /> : <Copy size={14} />}
          </IconButton>
        </Tooltip>
      </Flex>
    </Flex>
  );
}
