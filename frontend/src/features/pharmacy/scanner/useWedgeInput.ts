/**
 * The state and handlers of one scanner input (see ./wedge): the wedge's Ctrl+] / F8 becomes GS
 * at the caret, shown as «␝»; Enter hands the text over and clears the field for the next scan.
 * Spread `inputProps` on an <input>.
 */
import { useState, type ChangeEvent, type KeyboardEvent } from "react";
import { fromShown, insertSeparator, isGroupSeparatorKey, visible } from "./wedge";

export interface WedgeInput {
  /** The text as the scanner sent it (GS as "\x1d"). */
  text: string;
  /** Hand the text over (as Enter does) and clear the field. */
  submit: () => void;
  inputProps: {
    value: string;
    onChange: (e: ChangeEvent<HTMLInputElement>) => void;
    onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
    autoComplete: "off";
    spellCheck: false;
  };
}

export function useWedgeInput(onEnter: (text: string) => void): WedgeInput {
  const [text, setText] = useState("");
  const submit = () => {
    onEnter(text);
    setText("");
  };
  return {
    text,
    submit,
    inputProps: {
      value: visible(text),
      autoComplete: "off",
      spellCheck: false,
      onChange: (e) => setText(fromShown(e.target.value)),
      onKeyDown: (e) => {
        if (isGroupSeparatorKey(e)) {
          e.preventDefault();
          setText(insertSeparator(text, e.currentTarget.selectionStart, e.currentTarget.selectionEnd));
          return;
        }
        if (e.key === "Enter") {
          e.preventDefault();
          submit();
        }
      },
    },
  };
}
